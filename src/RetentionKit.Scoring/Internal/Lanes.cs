using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RetentionKit.Scoring.Internal;

/// <summary>
/// One step of the kernel's signal and component loops: <see cref="Rows"/> rows of 32-bit lanes, as two vectors of
/// the hardware's width. A lane holds a float, or the bits of a mask or a count; the operations say which.
/// </summary>
/// <remarks>
/// The loops are written once, generic over this interface, and the JIT compiles one copy per implementation with
/// every call inlined: two <see cref="Vector{T}"/> (sixteen rows on AVX2, eight on 128-bit hardware) or, where
/// <see cref="Vector512.IsHardwareAccelerated"/>, two <see cref="Vector512{T}"/> (thirty-two rows). Every lane gets the
/// same IEEE single-precision operations whatever the width, so the scores do not depend on the hardware.
/// </remarks>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface ILanes<TSelf>
    where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Gets the rows of a step.</summary>
    static abstract int Rows { get; }

    /// <summary>Gets all lanes zero (0f, and no bits).</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Loads <see cref="Rows"/> floats.</summary>
    static abstract TSelf Load(ref float source);

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(float value);

    /// <summary>Every lane the bits <paramref name="bits"/>.</summary>
    static abstract TSelf Broadcast(uint bits);

    /// <summary>Bitwise and.</summary>
    static abstract TSelf operator &(TSelf left, TSelf right);

    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf left, TSelf right);

    /// <summary>Float addition.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Float multiplication.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>Float division.</summary>
    static abstract TSelf operator /(TSelf left, TSelf right);

    /// <summary>All ones where the float is a number (not missing), zero where NaN.</summary>
    static abstract TSelf IsNumber(TSelf value);

    /// <summary>All ones where (the bits of <paramref name="value"/> XOR <paramref name="sign"/>) as a float is less than <paramref name="limit"/>.</summary>
    static abstract TSelf FlippedLessThan(TSelf value, TSelf sign, TSelf limit);

    /// <summary><paramref name="numerator"/> ÷ <paramref name="denominator"/> where the denominator is positive; NaN where not.</summary>
    static abstract TSelf Ratio(TSelf numerator, TSelf denominator);

    /// <summary>The float clamped to [0, <paramref name="maximum"/>] (NaN gives whatever the native instruction gives: the caller masks it).</summary>
    static abstract TSelf ClampNative(TSelf value, TSelf maximum);

    /// <summary>Integer lanes minus a mask: one more where the mask is all ones (−1).</summary>
    static abstract TSelf CountMask(TSelf count, TSelf mask);

    /// <summary>All ones where the integer lane is less than <paramref name="limit"/>.</summary>
    static abstract TSelf IntLessThan(TSelf value, int limit);

    /// <summary>All ones where the float is outside [<paramref name="low"/>, <paramref name="high"/>] (NaN included) and its bits are not <paramref name="marker"/>'s.</summary>
    static abstract TSelf Outside(TSelf value, TSelf low, TSelf high, TSelf marker);

    /// <summary>Gets whether every lane is all zero bits.</summary>
    bool IsZero { get; }

    /// <summary>Stores <see cref="Rows"/> lanes.</summary>
    /// <param name="destination">The first lane's place.</param>
    void Store(ref float destination);
}

/// <summary>Two <see cref="Vector{T}"/> of floats: the kernel's step on hardware without 512-bit vectors.</summary>
internal readonly struct VectorLanes : ILanes<VectorLanes>
{
    private readonly Vector<float> _a;
    private readonly Vector<float> _b;

    private VectorLanes(Vector<float> a, Vector<float> b)
    {
        _a = a;
        _b = b;
    }

    /// <inheritdoc/>
    public static int Rows => 2 * Vector<float>.Count;

    /// <inheritdoc/>
    public static VectorLanes Zero => default;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Load(ref float source) => new(Vector.LoadUnsafe(ref source), Vector.LoadUnsafe(ref source, (nuint)Vector<float>.Count));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Broadcast(float value) => new(new Vector<float>(value), new Vector<float>(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Broadcast(uint bits) => Broadcast(BitConverter.UInt32BitsToSingle(bits));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator &(VectorLanes left, VectorLanes right) => new(left._a & right._a, left._b & right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator |(VectorLanes left, VectorLanes right) => new(left._a | right._a, left._b | right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator +(VectorLanes left, VectorLanes right) => new(left._a + right._a, left._b + right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator *(VectorLanes left, VectorLanes right) => new(left._a * right._a, left._b * right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator /(VectorLanes left, VectorLanes right) => new(left._a / right._a, left._b / right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes IsNumber(VectorLanes value) => new(Vector.Equals(value._a, value._a).As<int, float>(), Vector.Equals(value._b, value._b).As<int, float>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes FlippedLessThan(VectorLanes value, VectorLanes sign, VectorLanes limit) =>
        new(Vector.LessThan(value._a ^ sign._a, limit._a).As<int, float>(), Vector.LessThan(value._b ^ sign._b, limit._b).As<int, float>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Ratio(VectorLanes numerator, VectorLanes denominator)
    {
        var nan = new Vector<float>(float.NaN);
        return new(
            Vector.ConditionalSelect(Vector.GreaterThan(denominator._a, Vector<float>.Zero), numerator._a / denominator._a, nan),
            Vector.ConditionalSelect(Vector.GreaterThan(denominator._b, Vector<float>.Zero), numerator._b / denominator._b, nan));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes ClampNative(VectorLanes value, VectorLanes maximum) =>
        new(Vector.MinNative(Vector.MaxNative(value._a, Vector<float>.Zero), maximum._a), Vector.MinNative(Vector.MaxNative(value._b, Vector<float>.Zero), maximum._b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes CountMask(VectorLanes count, VectorLanes mask) =>
        new((count._a.As<float, int>() - mask._a.As<float, int>()).As<int, float>(), (count._b.As<float, int>() - mask._b.As<float, int>()).As<int, float>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes IntLessThan(VectorLanes value, int limit) =>
        new(Vector.LessThan(value._a.As<float, int>(), new Vector<int>(limit)).As<int, float>(), Vector.LessThan(value._b.As<float, int>(), new Vector<int>(limit)).As<int, float>());

    /// <inheritdoc/>
    public bool IsZero => (_a.As<float, uint>() | _b.As<float, uint>()) == Vector<uint>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Outside(VectorLanes value, VectorLanes low, VectorLanes high, VectorLanes marker) =>
        new(Outside(value._a, low._a, high._a, marker._a), Outside(value._b, low._b, high._b, marker._b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination)
    {
        _a.StoreUnsafe(ref destination);
        _b.StoreUnsafe(ref destination, (nuint)Vector<float>.Count);
    }

    private static Vector<float> Outside(Vector<float> value, Vector<float> low, Vector<float> high, Vector<float> marker) =>
        (~((Vector.GreaterThanOrEqual(value, low) & Vector.LessThanOrEqual(value, high)) | Vector.Equals(value.As<float, uint>(), marker.As<float, uint>()).As<uint, int>())).As<int, float>();
}

/// <summary>Two <see cref="Vector512{T}"/> of floats: the kernel's step where 512-bit vectors are accelerated.</summary>
internal readonly struct Vector512Lanes : ILanes<Vector512Lanes>
{
    private readonly Vector512<float> _a;
    private readonly Vector512<float> _b;

    private Vector512Lanes(Vector512<float> a, Vector512<float> b)
    {
        _a = a;
        _b = b;
    }

    /// <inheritdoc/>
    public static int Rows => 2 * Vector512<float>.Count;

    /// <inheritdoc/>
    public static Vector512Lanes Zero => default;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Load(ref float source) => new(Vector512.LoadUnsafe(ref source), Vector512.LoadUnsafe(ref source, (nuint)Vector512<float>.Count));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Broadcast(float value) => new(Vector512.Create(value), Vector512.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Broadcast(uint bits) => Broadcast(BitConverter.UInt32BitsToSingle(bits));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator &(Vector512Lanes left, Vector512Lanes right) => new(left._a & right._a, left._b & right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator |(Vector512Lanes left, Vector512Lanes right) => new(left._a | right._a, left._b | right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator +(Vector512Lanes left, Vector512Lanes right) => new(left._a + right._a, left._b + right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator *(Vector512Lanes left, Vector512Lanes right) => new(left._a * right._a, left._b * right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator /(Vector512Lanes left, Vector512Lanes right) => new(left._a / right._a, left._b / right._b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes IsNumber(Vector512Lanes value) => new(Vector512.Equals(value._a, value._a), Vector512.Equals(value._b, value._b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes FlippedLessThan(Vector512Lanes value, Vector512Lanes sign, Vector512Lanes limit) =>
        new(Vector512.LessThan(value._a ^ sign._a, limit._a), Vector512.LessThan(value._b ^ sign._b, limit._b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Ratio(Vector512Lanes numerator, Vector512Lanes denominator)
    {
        var nan = Vector512.Create(float.NaN);
        return new(
            Vector512.ConditionalSelect(Vector512.GreaterThan(denominator._a, Vector512<float>.Zero), numerator._a / denominator._a, nan),
            Vector512.ConditionalSelect(Vector512.GreaterThan(denominator._b, Vector512<float>.Zero), numerator._b / denominator._b, nan));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes ClampNative(Vector512Lanes value, Vector512Lanes maximum) =>
        new(Vector512.MinNative(Vector512.MaxNative(value._a, Vector512<float>.Zero), maximum._a), Vector512.MinNative(Vector512.MaxNative(value._b, Vector512<float>.Zero), maximum._b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes CountMask(Vector512Lanes count, Vector512Lanes mask) =>
        new((count._a.AsInt32() - mask._a.AsInt32()).AsSingle(), (count._b.AsInt32() - mask._b.AsInt32()).AsSingle());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes IntLessThan(Vector512Lanes value, int limit) =>
        new(Vector512.LessThan(value._a.AsInt32(), Vector512.Create(limit)).AsSingle(), Vector512.LessThan(value._b.AsInt32(), Vector512.Create(limit)).AsSingle());

    /// <inheritdoc/>
    public bool IsZero => (_a.AsUInt32() | _b.AsUInt32()) == Vector512<uint>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Outside(Vector512Lanes value, Vector512Lanes low, Vector512Lanes high, Vector512Lanes marker) =>
        new(Outside(value._a, low._a, high._a, marker._a), Outside(value._b, low._b, high._b, marker._b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination)
    {
        _a.StoreUnsafe(ref destination);
        _b.StoreUnsafe(ref destination, (nuint)Vector512<float>.Count);
    }

    private static Vector512<float> Outside(Vector512<float> value, Vector512<float> low, Vector512<float> high, Vector512<float> marker) =>
        ~((Vector512.GreaterThanOrEqual(value, low) & Vector512.LessThanOrEqual(value, high)) | Vector512.Equals(value.AsUInt32(), marker.AsUInt32()).AsSingle());
}

/// <summary>
/// One step of the model's loops in double precision: <see cref="Rows"/> rows (as many as a step of
/// <see cref="ILanes{TSelf}"/>), as four vectors of the hardware's width.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IDoubleLanes<TSelf>
    where TSelf : struct, IDoubleLanes<TSelf>
{
    /// <summary>Gets the rows of a step.</summary>
    static abstract int Rows { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(double value);

    /// <summary>Loads <see cref="Rows"/> doubles.</summary>
    static abstract TSelf Load(ref double source);

    /// <summary>Loads <see cref="Rows"/> 64-bit masks, as the bits of the lanes.</summary>
    static abstract TSelf LoadBits(ref ulong source);

    /// <summary>Loads <see cref="Rows"/> floats, widened.</summary>
    static abstract TSelf Widen(ref float source);

    /// <summary>Float addition.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Float multiplication.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary><paramref name="value"/> where bit 63 − <paramref name="shift"/> of a lane's mask is set, zero where not.</summary>
    static abstract TSelf WhereBit(TSelf bits, int shift, TSelf value);

    /// <summary><paramref name="ifNumber"/> where <paramref name="value"/> is a number, <paramref name="ifNaN"/> where NaN.</summary>
    static abstract TSelf WhereNumber(TSelf value, TSelf ifNumber, TSelf ifNaN);

    /// <summary>The logistic function, 1 ÷ (1 + e^−z).</summary>
    static abstract TSelf Logistic(TSelf z);

    /// <summary>Stores <see cref="Rows"/> doubles.</summary>
    /// <param name="destination">The first lane's place.</param>
    void Store(ref double destination);

    /// <summary>Stores each lane's risk level: 1 − [value ≥ medium] − [value ≥ high] (Low 1, Medium 2, High 3).</summary>
    /// <param name="destination">The first row's level.</param>
    /// <param name="medium">The level Medium's lower bound.</param>
    /// <param name="high">The level High's lower bound.</param>
    void StoreLevels(ref int destination, double medium, double high);
}

/// <summary>Four <see cref="Vector{T}"/> of doubles: the model's step on hardware without 512-bit vectors.</summary>
internal readonly struct VectorDoubles : IDoubleLanes<VectorDoubles>
{
    private readonly Vector<double> _a;
    private readonly Vector<double> _b;
    private readonly Vector<double> _c;
    private readonly Vector<double> _d;

    private VectorDoubles(Vector<double> a, Vector<double> b, Vector<double> c, Vector<double> d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    /// <inheritdoc/>
    public static int Rows => 4 * Vector<double>.Count;

    private static nuint Count => (nuint)Vector<double>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles Broadcast(double value) => new(new Vector<double>(value), new Vector<double>(value), new Vector<double>(value), new Vector<double>(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles Load(ref double source) =>
        new(Vector.LoadUnsafe(ref source), Vector.LoadUnsafe(ref source, Count), Vector.LoadUnsafe(ref source, 2 * Count), Vector.LoadUnsafe(ref source, 3 * Count));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles LoadBits(ref ulong source) => Load(ref Unsafe.As<ulong, double>(ref source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles Widen(ref float source)
    {
        Vector.Widen(Vector.LoadUnsafe(ref source), out var a, out var b);
        Vector.Widen(Vector.LoadUnsafe(ref source, (nuint)Vector<float>.Count), out var c, out var d);
        return new(a, b, c, d);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles operator +(VectorDoubles left, VectorDoubles right) => new(left._a + right._a, left._b + right._b, left._c + right._c, left._d + right._d);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles operator *(VectorDoubles left, VectorDoubles right) => new(left._a * right._a, left._b * right._b, left._c * right._c, left._d * right._d);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles WhereBit(VectorDoubles bits, int shift, VectorDoubles value) =>
        new(value._a & Spread(bits._a, shift), value._b & Spread(bits._b, shift), value._c & Spread(bits._c, shift), value._d & Spread(bits._d, shift));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles WhereNumber(VectorDoubles value, VectorDoubles ifNumber, VectorDoubles ifNaN) =>
        new(
            Vector.ConditionalSelect(Vector.Equals(value._a, value._a), ifNumber._a, ifNaN._a),
            Vector.ConditionalSelect(Vector.Equals(value._b, value._b), ifNumber._b, ifNaN._b),
            Vector.ConditionalSelect(Vector.Equals(value._c, value._c), ifNumber._c, ifNaN._c),
            Vector.ConditionalSelect(Vector.Equals(value._d, value._d), ifNumber._d, ifNaN._d));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorDoubles Logistic(VectorDoubles z) => new(Logistic(z._a), Logistic(z._b), Logistic(z._c), Logistic(z._d));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination)
    {
        _a.StoreUnsafe(ref destination);
        _b.StoreUnsafe(ref destination, Count);
        _c.StoreUnsafe(ref destination, 2 * Count);
        _d.StoreUnsafe(ref destination, 3 * Count);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreLevels(ref int destination, double medium, double high)
    {
        var m = new Vector<double>(medium);
        var h = new Vector<double>(high);
        Vector.Narrow(Level(_a, m, h), Level(_b, m, h)).StoreUnsafe(ref destination);
        Vector.Narrow(Level(_c, m, h), Level(_d, m, h)).StoreUnsafe(ref destination, (nuint)Vector<int>.Count);
    }

    private static Vector<double> Spread(Vector<double> bits, int shift) =>
        Vector.ShiftRightArithmetic(Vector.ShiftLeft(bits.As<double, long>(), shift), 63).As<long, double>();

    private static Vector<double> Logistic(Vector<double> z) => Vector<double>.One / (Vector<double>.One + Vector.Exp(-z));

    private static Vector<long> Level(Vector<double> p, Vector<double> medium, Vector<double> high) =>
        Vector<long>.One - Vector.GreaterThanOrEqual(p, medium) - Vector.GreaterThanOrEqual(p, high);
}

/// <summary>Four <see cref="Vector512{T}"/> of doubles: the model's step where 512-bit vectors are accelerated.</summary>
internal readonly struct Vector512Doubles : IDoubleLanes<Vector512Doubles>
{
    private readonly Vector512<double> _a;
    private readonly Vector512<double> _b;
    private readonly Vector512<double> _c;
    private readonly Vector512<double> _d;

    private Vector512Doubles(Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    /// <inheritdoc/>
    public static int Rows => 4 * Vector512<double>.Count;

    private static nuint Count => (nuint)Vector512<double>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles Broadcast(double value) => new(Vector512.Create(value), Vector512.Create(value), Vector512.Create(value), Vector512.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles Load(ref double source) =>
        new(Vector512.LoadUnsafe(ref source), Vector512.LoadUnsafe(ref source, Count), Vector512.LoadUnsafe(ref source, 2 * Count), Vector512.LoadUnsafe(ref source, 3 * Count));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles LoadBits(ref ulong source) => Load(ref Unsafe.As<ulong, double>(ref source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles Widen(ref float source)
    {
        var (a, b) = Vector512.Widen(Vector512.LoadUnsafe(ref source));
        var (c, d) = Vector512.Widen(Vector512.LoadUnsafe(ref source, (nuint)Vector512<float>.Count));
        return new(a, b, c, d);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles operator +(Vector512Doubles left, Vector512Doubles right) => new(left._a + right._a, left._b + right._b, left._c + right._c, left._d + right._d);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles operator *(Vector512Doubles left, Vector512Doubles right) => new(left._a * right._a, left._b * right._b, left._c * right._c, left._d * right._d);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles WhereBit(Vector512Doubles bits, int shift, Vector512Doubles value) =>
        new(value._a & Spread(bits._a, shift), value._b & Spread(bits._b, shift), value._c & Spread(bits._c, shift), value._d & Spread(bits._d, shift));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles WhereNumber(Vector512Doubles value, Vector512Doubles ifNumber, Vector512Doubles ifNaN) =>
        new(
            Vector512.ConditionalSelect(Vector512.Equals(value._a, value._a), ifNumber._a, ifNaN._a),
            Vector512.ConditionalSelect(Vector512.Equals(value._b, value._b), ifNumber._b, ifNaN._b),
            Vector512.ConditionalSelect(Vector512.Equals(value._c, value._c), ifNumber._c, ifNaN._c),
            Vector512.ConditionalSelect(Vector512.Equals(value._d, value._d), ifNumber._d, ifNaN._d));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Doubles Logistic(Vector512Doubles z) => new(Logistic(z._a), Logistic(z._b), Logistic(z._c), Logistic(z._d));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination)
    {
        _a.StoreUnsafe(ref destination);
        _b.StoreUnsafe(ref destination, Count);
        _c.StoreUnsafe(ref destination, 2 * Count);
        _d.StoreUnsafe(ref destination, 3 * Count);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreLevels(ref int destination, double medium, double high)
    {
        var m = Vector512.Create(medium);
        var h = Vector512.Create(high);
        Vector512.Narrow(Level(_a, m, h), Level(_b, m, h)).StoreUnsafe(ref destination);
        Vector512.Narrow(Level(_c, m, h), Level(_d, m, h)).StoreUnsafe(ref destination, (nuint)Vector512<int>.Count);
    }

    private static Vector512<double> Spread(Vector512<double> bits, int shift) =>
        Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(bits.AsInt64(), shift), 63).AsDouble();

    private static Vector512<double> Logistic(Vector512<double> z) => Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-z));

    private static Vector512<long> Level(Vector512<double> p, Vector512<double> medium, Vector512<double> high) =>
        Vector512<long>.One - Vector512.GreaterThanOrEqual(p, medium).AsInt64() - Vector512.GreaterThanOrEqual(p, high).AsInt64();
}
